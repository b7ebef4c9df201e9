// What the page needs to know of each task, as plain data (no generators, no RNG): its name, one line for
// the UI and its difficulty levels. The task implementations read their own entry from here.
export const TASK_ABOUT = {
  addition: {
    description: 'Add two numbers column by column, carrying, least significant digit first',
    difficulties: [1, 2, 3, 4, 5],
    defaultDifficulty: 3,
  },
  chain: {
    description: 'Evaluate a chain of one-digit operations left to right, one step per operation',
    difficulties: [2, 3, 4, 5],
    defaultDifficulty: 3,
  },
} as const;

export type TaskName = keyof typeof TASK_ABOUT;
export const TASK_NAMES = Object.keys(TASK_ABOUT) as [TaskName, ...TaskName[]];
