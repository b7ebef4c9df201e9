import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/backend/rng';
import { TASKS, getTask } from '../../src/tasks';
import { TASK_ABOUT } from '../../src/tasks/about';

describe('task registry', () => {
  it('registers addition and chain under their own names', () => {
    expect(Object.keys(TASKS).sort()).toEqual(['addition', 'chain']);
    for (const [name, task] of Object.entries(TASKS)) {
      expect(task.name).toBe(name);
      expect(getTask(name)).toBe(task);
      expect(task.difficulties).toContain(task.defaultDifficulty);
      expect(task.generate(new Rng(1), task.defaultDifficulty, 'train').task).toBe(name);
    }
  });
  it('throws a clear error listing the valid names', () => {
    expect(() => getTask('division')).toThrow(/unknown task "division"; valid tasks: addition, chain/);
    expect(() => getTask('toString')).toThrow(/unknown task/);
  });
});

describe('the page-safe task catalog', () => {
  it('names every registered task, with its own difficulties and description', () => {
    expect(Object.keys(TASK_ABOUT).sort()).toEqual(Object.keys(TASKS).sort());
    for (const [name, about] of Object.entries(TASK_ABOUT)) {
      expect(TASKS[name].difficulties).toEqual(about.difficulties);
      expect(TASKS[name].description).toBe(about.description);
    }
  });
});
