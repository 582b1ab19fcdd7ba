import React from 'react';
import ReactDOM from 'react-dom/client';
import { ApprovalApp } from '@/components/approval/ApprovalApp';
import { createCall } from '@/components/client';
import '../popup/style.css';

const id = new URLSearchParams(location.search).get('id') ?? '';
const send = createCall((m) => browser.runtime.sendMessage(m));

ReactDOM.createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    <ApprovalApp id={id} send={send} close={() => window.close()} />
  </React.StrictMode>,
);
