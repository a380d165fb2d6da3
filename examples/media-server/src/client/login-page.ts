import { byId } from './dom.js';

if (new URLSearchParams(location.search).has('failed')) byId('login-error').hidden = false;
