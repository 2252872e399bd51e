/**
 * The bytes of events (as `ExternalSorter` counts them: their packed slots and one-off strings) the sort
 * of an unordered event file holds for `maxMemoryMB`. The count leaves out what holding them costs
 * beyond that (the chunks' arrays, V8's headers and the collector's slack, the sorted order), about as
 * much again, so a run is half the budget.
 */
export function sortBudgetBytes(maxMemoryMB: number): number {
  return Math.floor((maxMemoryMB * 1024 * 1024) / 2);
}
