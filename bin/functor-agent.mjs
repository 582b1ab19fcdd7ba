#!/usr/bin/env node
// `functor-agent` (lib/agent/cli.ts), run from its TypeScript source through tsx: no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lib/agent/cli.ts');
process.exitCode = await main(process.argv.slice(2));
