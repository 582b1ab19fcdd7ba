#!/usr/bin/env node
// `functor-agent` (cli/main.ts), run from its TypeScript source through tsx: no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
