import React from 'react';
import ReactDOM from 'react-dom/client';
import { followTheme } from '@/components/theme/theme';
import { themeSetting } from '@/components/theme/themeItem';
import { App } from './App';
import './style.css';

followTheme(themeSetting);
ReactDOM.createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    <App />
  </React.StrictMode>,
);
