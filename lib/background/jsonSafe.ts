// Moved to lib/protocol/jsonSafe.ts (the popup ↔ background contract); kept for the suites that
// import it from here.
export { fromJsonSafe, toJsonSafe } from '../protocol/jsonSafe.js';
