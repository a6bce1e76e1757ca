/**
 * One declarative table per generator drives flags, prompts, --help, validation and
 * what is stored in .yo-rc.json. Types of answers are derived from the table.
 */
export type QuestionType = 'string' | 'boolean' | 'list';

export interface Question {
  /** Answer key, also the flag (`--<name>`) and the .yo-rc.json key. kebab-case. */
  readonly name: string;
  readonly type: QuestionType;
  /** Prompt text. */
  readonly message: string;
  /** One line for --help. */
  readonly description: string;
  /** Used by --yes, without a TTY, and as the prompt default. Absent = must be answered. */
  readonly default?: string | boolean | readonly string[];
  /** Semantic validation after type coercion: an error message, or undefined when fine. */
  readonly validate?: (value: never) => string | undefined;
  /** May also be given as the first positional argument. */
  readonly positional?: boolean;
  /** Value shown in --help examples. */
  readonly placeholder?: string;
  /** The default is the only accepted value (a fixed repo name): never prompted for. */
  readonly fixed?: boolean;
  /** A boolean whose --no-<name> means nothing (e.g. init's --all): --help shows --<name> only. */
  readonly negatable?: false;
}

export type Table = readonly Question[];

type ValueOf<Q extends Question> = Q['type'] extends 'boolean' ? boolean : Q['type'] extends 'list' ? string[] : string;

/** The typed answers of a table: `{ name: string; db: boolean; skills: string[] ... }`. */
export type AnswersOf<T extends Table> = { -readonly [Q in T[number] as Q['name']]: ValueOf<Q> };

export type AnswerValue = string | boolean | string[];
export type Answers = Record<string, AnswerValue>;
