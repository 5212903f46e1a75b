// Sandboxed preload, bundled by scripts/build-electron.ts into one CommonJS file with only `electron`
// external. It runs in an isolated world and exposes exactly two things through contextBridge:
// `window.autobot` (one function per declared call) and `window.autobotEvents` (subscribe).
import { contextBridge, ipcRenderer } from 'electron';
import { callNames } from '../core/contract/calls.ts';
import { buildBridge, buildEventBridge } from './bridge.ts';

contextBridge.exposeInMainWorld(
  'autobot',
  buildBridge(callNames, (channel, input) => ipcRenderer.invoke(channel, input)),
);
contextBridge.exposeInMainWorld('autobotEvents', buildEventBridge(ipcRenderer));
