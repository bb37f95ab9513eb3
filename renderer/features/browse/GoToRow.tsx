/** "Go to row" (1-based). Ctrl/Cmd+G anywhere focuses it. */
import { useEffect, useRef, useState, type FormEvent } from 'react';

export function GoToRow({ rowCount, onGo }: { rowCount: number; onGo: (row: number) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'g') {
        event.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const row = Number(text.replace(/[,\s_]/g, ''));
    if (!Number.isInteger(row) || row < 1 || row > rowCount) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    onGo(row);
  };

  return (
    <form className="goto-row" onSubmit={submit}>
      <input
        ref={input}
        data-testid="goto-row"
        className={invalid ? 'invalid' : undefined}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setInvalid(false);
        }}
        placeholder="Go to row…"
        aria-label="Go to row"
        aria-invalid={invalid}
        title={invalid ? `Enter a row number from 1 to ${rowCount}` : 'Go to row (Ctrl+G)'}
        inputMode="numeric"
      />
    </form>
  );
}
