/** What validation needs to know about installed plugin steps (implemented by plugins-host). */
export interface StepCatalog {
  stepIds(): string[];
  has(stepId: string): boolean;
  /** Problems of a step's `with:` against its JSON Schema; paths are relative to `with`. */
  checkConfig(stepId: string, config: unknown): { path: (string | number)[]; message: string }[];
}
