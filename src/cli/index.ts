export { run } from './main';
