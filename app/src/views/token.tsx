/** Asks for the bearer token when the gateway needs one, and says why the last one was turned away. */
import { useState } from 'preact/hooks';
import { auth } from '../api/auth.js';
import { execute } from '../api/client.js';
import { Probe } from '../operations.js';

export function TokenPrompt({ refusal }: { refusal: string | null }) {
  const [value, setValue] = useState('');
  return (
    <section class="card token" aria-labelledby="token-title">
      <h1 id="token-title">Sign in</h1>
      {refusal ? (
        <p class="error" role="alert">
          {refusal} {auth.token ? 'The token may have expired or be meant for another gateway. ' : ''}Paste a valid token to go on.
        </p>
      ) : (
        <p>This gateway needs a bearer token (a JWT from your identity provider) for every request.</p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!value.trim()) return;
          auth.setToken(value);
          // Tried at once, so a refused token is said here, not at the first start button. A refusal comes back
          // through auth.refused (the client sees the 401); anything else shows where it happens.
          execute(Probe, {}).catch(() => {});
        }}
      >
        <label for="token">Bearer token</label>
        <textarea id="token" name="token" rows={4} spellcheck={false} autoComplete="off" value={value} onInput={(e) => setValue(e.currentTarget.value)} required />
        <button type="submit" class="primary">
          Use this token
        </button>
      </form>
      <p class="hint">The token stays in this browser tab only. A page that embeds this app can hand it over instead (see the README).</p>
    </section>
  );
}
