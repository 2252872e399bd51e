import fc from "fast-check";

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** ISO-like strings: valid and invalid components, every separator and offset shape the pattern allows. */
export const isoLike = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    time: fc.option(
      fc.record({
        hour: fc.integer({ min: 0, max: 25 }),
        minute: fc.integer({ min: 0, max: 61 }),
        second: fc.option(fc.integer({ min: 0, max: 61 })),
        fraction: fc.option(fc.stringMatching(/^\d{1,9}$/)),
        offset: fc.option(
          fc.oneof(
            fc.constant("Z"),
            fc.tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.constantFrom(":", "", "none")).map(
              ([sign, h, m, sep]) => (sep === "none" ? `${sign}${pad(h, 2)}` : `${sign}${pad(h, 2)}${sep}${pad(m, 2)}`),
            ),
          ),
        ),
      }),
    ),
  })
  .map(({ year, month, day, time }) => {
    let text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
    if (time) {
      text += `T${pad(time.hour, 2)}:${pad(time.minute, 2)}`;
      if (time.second !== null) {
        text += `:${pad(time.second, 2)}`;
        if (time.fraction !== null) text += `.${time.fraction}`;
      }
      if (time.offset !== null) text += time.offset;
    }
    return text;
  });
