/** Shapes of the API's answers that several pages show, named once from the generated schema. */
import type { paths } from './schema';

/** One subject found by the public search. */
export type Hit =
  paths['/api/public/subjects']['get']['responses']['200']['content']['application/json']['results'][number];
