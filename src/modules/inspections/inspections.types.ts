/** What the inspection module answers: seeds, draws, and their public form. */
import type { DrawGroup, DrawnSubject } from './inspections.draw.ts';

export type { DrawGroup, DrawnSubject } from './inspections.draw.ts';

/** A seed as its department announced it. */
export interface SeedView {
  id: number;
  department: string;
  purpose: string;
  seed: string;
  announcedAt: Date;
}

/** A seed as the public reads it: with whether a draw has used it, and which. */
export interface PublicSeed extends SeedView {
  departmentName: string;
  used: boolean;
  draw: number | null;
}

/** A draw: its seed, the model its levels came from, the groups by level and the sample. */
export interface DrawView {
  id: number;
  department: string;
  departmentName: string;
  matter: string;
  seedId: number;
  seed: string;
  announcedAt: Date;
  drawnAt: Date;
  /** The model in force whose levels grouped the pool; null: none was in force (all unrated). */
  model: { code: string; version: number } | null;
  poolSize: number;
  /** SHA-256 of the pool's normalised codes, sorted, joined by line feeds. */
  poolDigest: string;
  groups: DrawGroup[];
  /** Sorted by code. */
  sample: DrawnSubject[];
}

/** A draw as its department and the auditor read it. */
export interface DrawRecordView extends DrawView {
  drawnBy: string;
}

/** A line of the public list of draws. */
export interface PublicDrawSummary {
  id: number;
  department: string;
  departmentName: string;
  matter: string;
  seed: string;
  drawnAt: Date;
  model: { code: string; version: number } | null;
  poolSize: number;
  drawn: number;
}
