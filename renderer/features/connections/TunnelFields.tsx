/**
 * The SSH tunnel part of the form: a host name or a ~/.ssh/config alias (whose HostName, Port,
 * User and IdentityFile fill what is left blank), and key or password login.
 */
import { SecretField } from './SecretField';
import type { TunnelState } from './connectionDraft';

interface Props {
  tunnel: TunnelState;
  onChange: (tunnel: TunnelState) => void;
}

export function TunnelFields({ tunnel, onChange }: Props) {
  const set = (patch: Partial<TunnelState>) => onChange({ ...tunnel, ...patch });
  return (
    <fieldset className="tunnel" data-testid="tunnel-section">
      <label className="check-field">
        <input
          type="checkbox"
          data-testid="tunnel-enabled"
          checked={tunnel.enabled}
          onChange={(event) => set({ enabled: event.target.checked })}
        />
        <span>Connect through an SSH tunnel</span>
      </label>
      {tunnel.enabled && (
        <div className="tunnel-body">
          <div className="connection-fields">
            <label className="field">
              <span>SSH host or ~/.ssh/config alias</span>
              <input
                data-testid="tunnel-host"
                className="mono"
                value={tunnel.host}
                placeholder="bastion.example.com"
                spellCheck={false}
                onChange={(event) => set({ host: event.target.value })}
              />
            </label>
            <label className="field field-number">
              <span>Port</span>
              <input
                data-testid="tunnel-port"
                inputMode="numeric"
                value={tunnel.port}
                placeholder="22"
                onChange={(event) => set({ port: event.target.value })}
              />
            </label>
            <label className="field">
              <span>User</span>
              <input
                data-testid="tunnel-user"
                value={tunnel.user}
                placeholder="from ~/.ssh/config or your login"
                spellCheck={false}
                onChange={(event) => set({ user: event.target.value })}
              />
            </label>
          </div>
          <div className="segmented" role="radiogroup" aria-label="SSH login">
            {(['key', 'password'] as const).map((auth) => (
              <label key={auth}>
                <input
                  type="radio"
                  name="tunnel-auth"
                  data-testid={`tunnel-auth-${auth}`}
                  checked={tunnel.auth === auth}
                  onChange={() => set({ auth })}
                />
                {auth === 'key' ? 'Private key' : 'Password'}
              </label>
            ))}
          </div>
          {tunnel.auth === 'key' ? (
            <>
              <label className="field">
                <span>Key file (blank: IdentityFile from ~/.ssh/config, default keys, agent)</span>
                <input
                  data-testid="tunnel-key-path"
                  className="mono"
                  value={tunnel.privateKeyPath}
                  placeholder="~/.ssh/id_ed25519"
                  spellCheck={false}
                  onChange={(event) => set({ privateKeyPath: event.target.value })}
                />
              </label>
              <SecretField
                label="Key passphrase (if the key has one)"
                testId="tunnel-passphrase"
                state={tunnel.passphrase}
                onChange={(passphrase) => set({ passphrase })}
              />
            </>
          ) : (
            <SecretField
              label="SSH password"
              testId="tunnel-password"
              state={tunnel.password}
              onChange={(password) => set({ password })}
            />
          )}
        </div>
      )}
    </fieldset>
  );
}
