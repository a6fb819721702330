/** What the gateway tells the app about itself (`/app/config.json`, src/web-app.ts on the server). */
export interface GatewaySettings {
  sandbox: boolean;
  samples: string[];
  authentication: boolean;
  analysisProviders: string[];
}

export async function loadSettings(): Promise<GatewaySettings> {
  const response = await fetch('config.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`the gateway answered ${response.status} for its settings`);
  return (await response.json()) as GatewaySettings;
}
