/** Marks the end of the work list for one benchmark worker process. */
export const END_OF_WORK = '__end__';
