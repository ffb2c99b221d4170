export interface Snippet {
  file: string;
  line: number;
  code: string;
}
export function extractSnippets(root?: string): Snippet[];
export function checkSnippets(snippets: Snippet[], root?: string): string[];
