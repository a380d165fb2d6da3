/** An item as the server's JSON API describes it: the browser-facing view built in src/http/item-view.ts. */
export type { ItemView as Item } from '../http/item-view.js';
