import { isInteractive } from './interactive.ts';

/**
 * Asks a yes/no question in a terminal. Without a terminal, or with --yes, nothing is asked
 * and the answer is yes: scripts and CI must never hang on a question.
 */
export async function confirm(question: string, assumeYes: boolean): Promise<boolean> {
  if (assumeYes || !isInteractive()) return true;
  const { default: prompts } = await import('prompts');
  const { answer } = await prompts({ type: 'confirm', name: 'answer', message: question, initial: false });
  return answer === true;
}
