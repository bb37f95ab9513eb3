/**
 * JSON for the value viewer: indented when it arrives on one line, and coloured by token. Both
 * work on the text's own tokens, never on `JSON.parse`d values, so `12345678901234567890` and
 * `1.50` keep every digit, and a truncated document (the first 64 KiB) still shows. Tokens are
 * rendered as React text, so a string holding `<script>` is shown as those characters.
 */
import { memo, useMemo } from 'react';

type TokenKind = 'key' | 'string' | 'number' | 'literal' | 'punct' | 'space' | 'other';
interface Token {
  kind: TokenKind;
  text: string;
}

const tokenPattern =
  /("(?:[^"\\]|\\.)*"?)|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null)|([{}[\],:])|(\s+)|([^"\s{}[\],:]+)/y;

export function jsonTokens(text: string): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (tokenPattern.lastIndex < text.length && (match = tokenPattern.exec(text))) {
    const [whole, str, num, literal, punct, space] = match;
    const kind: TokenKind =
      str !== undefined
        ? 'string'
        : num !== undefined
          ? 'number'
          : literal !== undefined
            ? 'literal'
            : punct !== undefined
              ? 'punct'
              : space !== undefined
                ? 'space'
                : 'other';
    tokens.push({ kind, text: whole });
  }
  // A string followed by a colon is a key.
  let next: Token | undefined;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i]!;
    if (token.kind === 'space') continue;
    if (token.kind === 'string' && next?.kind === 'punct' && next.text === ':') token.kind = 'key';
    next = token;
  }
  return tokens;
}

/** Whether `text` is JSON written on one line, which reads better indented. */
function isOneLineJson(text: string): boolean {
  if (text.includes('\n') || !/^\s*[[{]/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Re-indents JSON from its tokens, keeping each token's text exactly. */
export function indentJson(tokens: readonly Token[], width = 2): Token[] {
  const out: Token[] = [];
  const solid = tokens.filter((t) => t.kind !== 'space');
  let depth = 0;
  const newline = () => out.push({ kind: 'space', text: `\n${' '.repeat(depth * width)}` });
  solid.forEach((token, i) => {
    const after = solid[i + 1]?.text;
    if (token.text === '{' || token.text === '[') {
      out.push(token);
      const empty = after === (token.text === '{' ? '}' : ']');
      if (!empty) {
        depth++;
        newline();
      }
      return;
    }
    if (token.text === '}' || token.text === ']') {
      const before = solid[i - 1]?.text;
      if (before !== (token.text === '}' ? '{' : '[')) {
        depth = Math.max(0, depth - 1);
        newline();
      }
      out.push(token);
      return;
    }
    out.push(token);
    if (token.kind === 'punct' && token.text === ',') newline();
    else if (token.kind === 'punct' && token.text === ':') out.push({ kind: 'space', text: ' ' });
  });
  return out;
}

export const JsonText = memo(function JsonText({ text }: { text: string }) {
  const tokens = useMemo(() => {
    const tokens = jsonTokens(text);
    return isOneLineJson(text) ? indentJson(tokens) : tokens;
  }, [text]);
  return (
    <code className="json-text" data-testid="json-text">
      {tokens.map((token, i) =>
        token.kind === 'space' || token.kind === 'other' ? (
          token.text
        ) : (
          <span key={i} className={`json-${token.kind}`}>
            {token.text}
          </span>
        ),
      )}
    </code>
  );
});
