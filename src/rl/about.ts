// What a method or a reward kind tells the rest of the lab about itself, as plain data: its label, its config
// knobs with their explanations, its metric names, its charts and its Learn text. Data only, so the page can
// import it without pulling the engine into its bundle (the hooks live beside it, in the method's file).

/** A config field a method or reward reads, with its UI label and a one-line explanation. */
export interface KnobAbout {
  key: string; // a RunConfig field (test/rl/registry.test.ts checks each one)
  label: string;
  help: string;
}

/** One line of a chart: a metric of the train or eval rows. */
export interface ChartLineAbout {
  metric: string;
  label: string;
  source: 'train' | 'eval';
  dashed?: boolean;
}

export interface ChartAbout {
  id: string;
  title: string;
  help: string; // one line under the chart
  reading: string; // the Learn page's longer reading guide
  unit?: boolean; // y axis from 0 to at least 1
  lines: ChartLineAbout[];
}

export interface About<Name extends string = string> {
  name: Name; // the config value (config.method or config.reward)
  label: string; // the UI's name for it
  knobs: KnobAbout[]; // shown in the experiment panel when this method or reward is chosen
  metrics: string[]; // train-row metric names it owns (null in rows of runs that do not use it)
  charts: ChartAbout[];
  /** A section of the Learn page; `here` says what this lab's own runs show of it (and where a claim did not
   * reproduce here), from the measurements in docs/methods.md and docs/results.md. */
  learn: { title: string; body: string; here?: string } | null;
}
