/** React components and routes: thin views over the store. */
export { App } from './App';
export { parseRoute, type Route } from './route';
