// The character-level tokenizer shared by every task. Ids 0..2 are the specials the sampler knows about
// (PAD, BOS, EOS; see src/backend/backend.ts); every other token is one character.
//
// The trace language (see each task for its steps):
//   ;   ends a step                      >   the final answer follows
//   !   retract: "the previous step is wrong", the step after it redoes that step
//   |   ends a hint, the problem follows  ~   hint: "not these answers" (a ","-separated list)
//   $   hint: "be concise"
import { BOS_ID, EOS_ID, PAD_ID } from '../backend/backend';
import { CHARS, SPECIALS, VOCAB, VOCAB_SIZE } from '../model/vocab';

export { PAD_ID, BOS_ID, EOS_ID, CHARS, SPECIALS, VOCAB, VOCAB_SIZE };

const charToId = new Map<string, number>([...CHARS].map((ch, i) => [ch, SPECIALS.length + i]));

/** Text to ids; throws on a character outside the vocabulary (callers build text from the trace language). */
export function encode(text: string): number[] {
  const ids: number[] = [];
  for (const ch of text) {
    const id = charToId.get(ch);
    if (id === undefined) throw new Error(`tokenizer: character ${JSON.stringify(ch)} is not in the vocabulary "${CHARS}"`);
    ids.push(id);
  }
  return ids;
}

/** Ids to text. Specials are dropped: PAD and BOS silently, decoding stops at EOS. */
export function decode(ids: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id === EOS_ID) break;
    if (id === PAD_ID || id === BOS_ID) continue;
    const ch = VOCAB[id];
    if (ch === undefined) throw new Error(`tokenizer: id ${id} is outside the vocabulary (size ${VOCAB_SIZE})`);
    out += ch;
  }
  return out;
}

/** A prompt as the model sees it: BOS, then the text. */
export function encodePrompt(text: string): number[] {
  return [BOS_ID, ...encode(text)];
}
