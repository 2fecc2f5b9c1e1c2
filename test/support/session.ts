/** Signs a demo user in over HTTP and returns the session cookie to send with requests. */
import type { FastifyInstance } from 'fastify';
import { DEMO_PASSWORD } from '../../src/modules/auth/index.ts';

export async function sessionCookie(app: FastifyInstance, username: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: DEMO_PASSWORD },
  });
  if (res.statusCode !== 200) {
    throw new Error(`sign-in of ${username} answered ${res.statusCode}: ${res.body}`);
  }
  return String(res.headers['set-cookie']).split(';')[0] ?? '';
}
