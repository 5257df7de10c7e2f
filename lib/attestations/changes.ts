// What a person needs beside the statement itself: the problems that stand between a draft and its
// submission (each keyed to the question it concerns, in the form's order), and what changed from
// one submission to the next (answers and evidence files), which the reviewer reads on a
// resubmission.

import { fieldErrors } from '../errors';
import { plural } from '../format';
import type { DigestFile } from './digest';
import {
  answerLabel,
  completeStatementSchema,
  FIELDS,
  QUESTIONS,
  type Statement,
  type StatementField,
} from './statement';

export interface Problem {
  /** A statement field, or "file" for the evidence. */
  field: StatementField | 'file';
  /** The question as the form shows it. */
  label: string;
  message: string;
}

/** Why a statement with this many files cannot be submitted yet; [] when it can. */
export function submissionProblems(statement: Statement, fileCount: number): Problem[] {
  const parsed = completeStatementSchema.safeParse(statement);
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  const out: Problem[] = FIELDS.filter((f) => errors[f]).map((f) => ({
    field: f,
    label: QUESTIONS[f],
    message: errors[f]!,
  }));
  if (fileCount === 0)
    out.push({ field: 'file', label: 'Evidence files', message: 'Attach at least one evidence file.' });
  return out;
}

/** "3 answers need attention and no evidence file is attached." */
export function problemsSentence(problems: Problem[]): string {
  const answers = problems.filter((p) => p.field !== 'file').length;
  const file = problems.some((p) => p.field === 'file');
  if (answers === 0 && file) return 'no evidence file is attached yet.';
  return `${plural(answers, 'answer needs', 'answers need')} attention${file ? ' and no evidence file is attached' : ''}.`;
}

export interface SubmissionChanges {
  answers: Array<{ field: StatementField; label: string; before: string; after: string }>;
  filesAdded: DigestFile[];
  filesRemoved: DigestFile[];
  /** Same content under another name. */
  filesRenamed: Array<{ before: string; after: string; sha256: string }>;
}

/** What changed from one submitted statement and file list to the next. */
export function submissionChanges(
  before: { statement: Statement; files: DigestFile[] },
  after: { statement: Statement; files: DigestFile[] },
): SubmissionChanges {
  const answers = FIELDS.filter((f) => (before.statement[f] ?? '') !== (after.statement[f] ?? '')).map((f) => ({
    field: f,
    label: QUESTIONS[f],
    before: answerLabel(f, before.statement[f]),
    after: answerLabel(f, after.statement[f]),
  }));
  const old = new Map(before.files.map((f) => [f.sha256, f]));
  const now = new Map(after.files.map((f) => [f.sha256, f]));
  return {
    answers,
    filesAdded: after.files.filter((f) => !old.has(f.sha256)),
    filesRemoved: before.files.filter((f) => !now.has(f.sha256)),
    filesRenamed: after.files
      .filter((f) => old.has(f.sha256) && old.get(f.sha256)!.name !== f.name)
      .map((f) => ({ before: old.get(f.sha256)!.name, after: f.name, sha256: f.sha256 })),
  };
}

export function hasChanges(c: SubmissionChanges): boolean {
  return c.answers.length + c.filesAdded.length + c.filesRemoved.length + c.filesRenamed.length > 0;
}
