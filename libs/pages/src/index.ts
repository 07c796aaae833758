export * from './pages.module';
export { html, escapeHtml, trusted, Html } from './html';
