// The vocabulary, in one home: the three specials the sampler knows (PAD, BOS, EOS; their ids live with the
// Backend contract) and one token per character of the trace language. The model reads it (embedding size,
// checkpoint metadata) and so do the tasks (src/tasks/tokenizer.ts encodes and decodes with it).
//
// A new character changes VOCAB_SIZE, so the shipped checkpoints no longer load (checkpoint.ts checks the
// vocabulary): re-run `npm run make-checkpoints` after adding one.
export const SPECIALS = ['<pad>', '<bos>', '<eos>'] as const;
export const CHARS = '0123456789+-*=;>!,|~$';
export const VOCAB: readonly string[] = [...SPECIALS, ...CHARS];
export const VOCAB_SIZE = VOCAB.length;
