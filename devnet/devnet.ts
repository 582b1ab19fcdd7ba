// Starts a whole local stack (anvil, contracts, Alto) on free ports and returns its config and a
// stop function. `npm run devnet` (devnet/main.ts) and the integration tests both use this.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWalletClient, http, parseAbi, parseUnits, type Hex } from 'viem';
import { mnemonicToAccount, privateKeyToAccount } from 'viem/accounts';
import { devnetChain } from '../lib/accounts/clients.js';
import { type DevnetConfig, parseDevnetConfig } from '../lib/chain/devnetConfig.js';
import { deployStack } from './deploy.js';
import { freePort, startProcess, waitForRpc, type Proc } from './processes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MNEMONIC = 'test test test test test test test test test test test junk';

/** anvil's well-known dev keys: 0 deploys, 1 and 2 are the bundler's, 3.. are dev owners. */
function devKey(index: number): Hex {
  const key = mnemonicToAccount(MNEMONIC, { addressIndex: index }).getHdKey().privateKey;
  if (!key) throw new Error('no key');
  return `0x${Buffer.from(key).toString('hex')}`;
}

export interface Devnet {
  config: DevnetConfig;
  file?: string;
  /** Where the JSON is served over HTTP for the extension (when `configPort` was given). */
  configUrl?: string;
  stop: () => Promise<void>;
}

export async function startDevnet(
  opts: {
    file?: string;
    verbose?: boolean;
    owners?: number;
    /** Serve the JSON on this port (0: any free one). */
    configPort?: number;
    /** Record every opcode step (anvil --steps-tracing) for struct-log traces: the bench's gas split. */
    stepsTracing?: boolean;
    /** Another chain id than 31337: a second chain, with the same contracts at the same addresses. */
    chainId?: number;
    /**
     * false: everything but Functor's own contracts (their addresses are still in the config, with
     * no code there): a chain where the wallet offers to deploy Functor.
     */
    functor?: boolean;
  } = {},
): Promise<Devnet> {
  const started = Date.now();
  const chainId = opts.chainId ?? 31337;
  const chain = devnetChain(chainId, 'http://127.0.0.1');
  // `npm test` builds the contracts once before any devnet starts and says so: its devnets, which
  // run while forge runs the contracts' tests, then leave forge's cache alone.
  if (process.env.FUNCTOR_CONTRACTS_BUILT !== '1') {
    execFileSync(path.join(root, 'node_modules', '.bin', 'forge'), ['build', 'src'], {
      cwd: path.join(root, 'contracts'),
      stdio: opts.verbose ? 'inherit' : 'pipe',
    });
  }

  const procs: Proc[] = [];
  const stop = async () => {
    await Promise.all(procs.reverse().map((p) => p.stop()));
  };
  try {
    const anvilPort = await freePort();
    const rpcUrl = `http://127.0.0.1:${anvilPort}`;
    const anvil = startProcess(
      'anvil',
      'anvil',
      [
        '--host',
        '127.0.0.1',
        '--port',
        String(anvilPort),
        '--chain-id',
        String(chainId),
        '--disable-code-size-limit',
        // Ethereum's block gas limit since 2025 (anvil's default is 30M): a bundler's eth_call
        // simulations are capped by it, and deploying Functor from an account in one operation
        // (the popup) needs its estimation to fit.
        '--gas-limit',
        '60000000',
        '--mnemonic',
        MNEMONIC,
        ...(opts.stepsTracing ? ['--steps-tracing'] : []),
      ],
      { verbose: opts.verbose },
    );
    procs.push(anvil);
    await waitForRpc(rpcUrl, 'eth_chainId', anvil);

    const stack = await deployStack(rpcUrl, devKey(0), chainId, { functor: opts.functor ?? true });
    if (stack.notCanonical.length) {
      console.warn(`warning: Safe contracts not at their canonical addresses: ${stack.notCanonical.join(', ')}`);
    }

    const owners = Array.from({ length: opts.owners ?? 3 }, (_, i) => {
      const privateKey = devKey(3 + i);
      return { address: privateKeyToAccount(privateKey).address, privateKey };
    });
    const wallet = createWalletClient({ chain, transport: http(rpcUrl), account: privateKeyToAccount(devKey(0)) });
    const mint = parseAbi(['function mint(address to, uint256 amount)']);
    for (const o of owners) {
      await wallet.writeContract({ address: stack.tokens.usdc, abi: mint, functionName: 'mint', args: [o.address, parseUnits('1000000', 6)] });
      await wallet.writeContract({ address: stack.tokens.dai, abi: mint, functionName: 'mint', args: [o.address, parseUnits('1000000', 18)] });
    }

    const bundlerPort = await freePort();
    const bundlerUrl = `http://127.0.0.1:${bundlerPort}`;
    const executor = devKey(1);
    const utility = devKey(2);
    const alto = startProcess(
      'alto',
      'alto',
      [
        '--entrypoints',
        stack.entryPoint,
        '--executor-private-keys',
        executor,
        '--utility-private-key',
        utility,
        '--rpc-url',
        rpcUrl,
        '--port',
        String(bundlerPort),
        '--safe-mode',
        'false',
        // Deploying Functor from an account in one operation (the popup) takes ~10.7M call gas:
        // Alto simulates estimations with a callGasLimit of 10M by default (the op then fails with
        // an empty revert), and its search for the call gas needs more rounds than its default 3
        // within anvil's 30M eth_call cap.
        '--simulation-call-gas-limit',
        '20000000',
        '--binary-search-max-retries',
        '10',
        '--log-level',
        opts.verbose ? 'info' : 'warn',
      ],
      { verbose: opts.verbose },
    );
    procs.push(alto);
    await waitForRpc(bundlerUrl, 'eth_supportedEntryPoints', alto, 60_000);

    const { notCanonical: _, ...addresses } = stack;
    const config = parseDevnetConfig({
      version: 1,
      chainId,
      rpcUrl,
      bundlerUrl,
      ports: { anvil: anvilPort, bundler: bundlerPort },
      ...addresses,
      owners,
      bundler: { executor: privateKeyToAccount(executor).address, utility: privateKeyToAccount(utility).address },
    });
    if (opts.file) {
      mkdirSync(path.dirname(opts.file), { recursive: true });
      writeFileSync(opts.file, JSON.stringify(config, null, 2) + '\n');
    }
    let configUrl: string | undefined;
    if (opts.configPort !== undefined) {
      const server = await serveConfig(config, opts.configPort);
      configUrl = server.url;
      procs.unshift({ stop: server.stop } as Proc);
    }
    if (opts.verbose) console.log(`devnet up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { config, file: opts.file, configUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The extension reads the devnet's JSON from here (its default network): ports change between
 * runs, and an extension cannot read a file. Local only, and the JSON holds only anvil's public
 * dev keys.
 */
async function serveConfig(config: DevnetConfig, port: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const body = JSON.stringify(config);
  const server = createServer((req, res) => {
    if (req.url !== '/devnet.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`Port ${port} is taken (another devnet?): set FUNCTOR_DEVNET_CONFIG_PORT`) : e),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${actual}/devnet.json`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
