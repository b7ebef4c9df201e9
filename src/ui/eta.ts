// The ETA from the wall clock of the most recent steps (evaluations, checkpoints and pauses between batches
// included), so it is right from the second step after a start or a resume, whatever came before.
export interface ProgressMark {
  t: number; // ms (performance.now or Date.now: one clock per run)
  step: number;
}

/** Steps the estimate looks back over. */
export const ETA_WINDOW = 20;

/** Add a mark when the step moved on; keep the marks of the last ETA_WINDOW steps. */
export function addMark(marks: readonly ProgressMark[], mark: ProgressMark): ProgressMark[] {
  const last = marks[marks.length - 1];
  if (last && mark.step <= last.step) return mark.step < last.step ? [mark] : [...marks];
  return [...marks, mark].filter((m) => m.step >= mark.step - ETA_WINDOW);
}

/** Seconds left at the recent pace; null until two steps have been timed. */
export function etaSeconds(marks: readonly ProgressMark[], steps: number): number | null {
  if (marks.length < 2) return null;
  const first = marks[0];
  const last = marks[marks.length - 1];
  const done = last.step - first.step;
  if (done < 2 || last.t <= first.t) return null;
  return (Math.max(0, steps - last.step) * (last.t - first.t)) / done / 1000;
}
