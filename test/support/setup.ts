/**
 * Run in each test worker before its files: passwords hashed cheaply (the suite signs in thousands
 * of times; argon2's 64 MiB per hash would cost minutes). The global setup does the same, so the
 * seeded accounts' hashes are cheap to verify too.
 */
import { useCheapPasswordHashingInTests } from '../../src/modules/auth/index.ts';

useCheapPasswordHashingInTests();
