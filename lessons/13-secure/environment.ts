/**
 * The environment lesson 13's server runs with (the lesson's `env`), and the users behind it.
 * It lives apart from the checks so that the checker can start the server before loading
 * them (running/lessons.ts, loadServerEnvironment). TOKENS and ALLOWED_ORIGINS are odd on
 * purpose: tokens with dashes and digits, names with spaces, origins that are not the default.
 */

export interface User {
  token: string;
  name: string;
}
export const ada: User = { token: '7f-ada-2024-x9', name: 'Ada Lovelace' };
export const grace: User = { token: 'g-31-0-hopper', name: 'Grace Hopper' };
export const alan: User = { token: '1912-06-23-t', name: 'Alan Turing' };
export const edsger: User = { token: 'e-d-5-w-30', name: 'Edsger W. Dijkstra' };
/**
 * Users of the rate-window check only (it runs on a server of its own): the staggered bursts
 * need connections with limits of their own, and a limiter kept per user must not join them.
 */
export const STAGGERED: User[] = [
  { token: 'bl-1939-11-07', name: 'Barbara Liskov' },
  { token: 'fa-2006-t-8', name: 'Frances Allen' },
  { token: 'nw-1934-p-2', name: 'Niklaus Wirth' },
  { token: 'mh-1936-ap-11', name: 'Margaret Hamilton' },
  { token: 'kj-2-0-sb', name: 'Karen Spärck Jones' },
  { token: 'jm-1927-li', name: 'John McCarthy' },
];
export const USERS = [ada, grace, alan, edsger, ...STAGGERED];
export const ALLOWED = ['http://127.0.0.1:5173', 'https://chat.example.test'];

export default {
  TOKENS: USERS.map((user) => `${user.token}:${user.name}`).join(','),
  ALLOWED_ORIGINS: ALLOWED.join(','),
};
