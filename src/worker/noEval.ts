// Import first, in the page and in the worker: zod otherwise probes for eval (Function('')) on its first
// parse, which the lab's Content-Security-Policy refuses (and reports). Validation works the same without it.
import { z } from 'zod';

z.config({ jitless: true });
