import React from 'react';
import ReactDOM from 'react-dom/client';
import { ApprovalApp } from '@/components/approval/ApprovalApp';
import '../popup/style.css';

const id = new URLSearchParams(location.search).get('id') ?? '';
const send = (m: unknown) => browser.runtime.sendMessage(m) as Promise<Record<string, unknown>>;

ReactDOM.createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    <ApprovalApp id={id} send={send} close={() => window.close()} />
  </React.StrictMode>,
);
