/**
 * Run in each test worker before its files: passwords hashed cheaply (the suite signs in thousands
 * of times; argon2's 64 MiB per hash would cost minutes). The global setup does the same, so the
 * seeded accounts' hashes are cheap to verify too.
 */
// The one file, not the module's door: a setup run before every test file must cost nothing.
import { useCheapPasswordHashingInTests } from '../../src/modules/auth/auth.secrets.ts';

useCheapPasswordHashingInTests();
