/** Password hashing with Argon2id (@node-rs/argon2) and the platform's password rule. */
import { hash, verify } from '@node-rs/argon2';

// OWASP's Argon2id minimum (19 MiB, 2 passes) keeps a login near 30 ms on this hardware.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password, verified against when the username is unknown, so timing does not reveal it. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(`decoy-${Math.random()}`);
  return decoy;
}

/** Returns a Chinese explanation when the password is too weak, else undefined. */
export function passwordProblem(password: string, username: string): string | undefined {
  if (password.length < 10) return '密码至少需要10个字符';
  if (password.length > 128) return '密码不能超过128个字符';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '密码必须同时包含字母和数字';
  if (password.toLowerCase().includes(username.toLowerCase())) return '密码不能包含用户名';
  return undefined;
}
