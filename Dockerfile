# syntax=docker/dockerfile:1
# Multi-stage: build with dev dependencies, run with production dependencies only, as a non-root user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The web app (Vite) builds into dist/app beside the server's code; its generated GraphQL types are committed.
COPY app ./app
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=4000
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
# dist/src (the server) and dist/app (the web app at /app); Vite and the app's libraries stay in the build stage.
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
USER node
EXPOSE 4000
# /health answers as soon as the process serves HTTP; /ready also checks Redis and the providers.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# Same command as `npm run start:prod` (and what `npm run bench` measures). SIGTERM reaches node directly (exec
# form): graceful shutdown closes sockets and hands leases over. A small young generation keeps idle memory low.
CMD ["node", "--max-semi-space-size=4", "dist/src/main.js"]
