import './style.css';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { WagmiProvider } from 'wagmi';
import { App } from './App';
import { loadDevnet } from './devnet';
import { wagmiConfigFor } from './wagmi';

// smart-accounts-kit reports each call to MetaMask's analytics unless Do-Not-Track is set; a
// local demo has nothing to report.
(window as unknown as { doNotTrack: string }).doNotTrack = '1';

const devnet = await loadDevnet();
const config = wagmiConfigFor(devnet.config);
const queryClient = new QueryClient();
window.__functorDemo = {};

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <WagmiProvider config={config}>
      <QueryClientProvider client={queryClient}>
        <App devnet={devnet} />
      </QueryClientProvider>
    </WagmiProvider>
  </StrictMode>,
);
