/** Marks the end of the work list for one benchmark worker process. */
export const END_OF_WORK = '__end__';
/** What a benchmark worker process prints once it can take work. */
export const READY = 'ready';
