// Reload logs: `GET /reloadtask/{id}/scriptlogfile?executionresultid=` hands out a download ticket, and
// `GET /download/reloadtask/{ticket}/{file}` returns the log text once (single use: unverified, as for exports).
import { QrsRequestError } from './qrs-entities.js';
import { recordOf, type QrsRoute, type RepositoryContext } from './qrs-routes.js';
import { newId } from './state.js';

export function scriptLogRoutes({ state }: RepositoryContext): QrsRoute[] {
  return [
    {
      method: 'GET',
      template: '/reloadtask/{reloadtaskid}/scriptlogfile',
      handler: (call, p) => {
        const task = recordOf(state.tasks, p['reloadtaskid']!, 'reload task');
        const resultId = call.query.get('executionresultid');
        if (!resultId) throw new QrsRequestError(400, 'the executionresultid query parameter is required');
        const execution = [...state.executions.values()].find((e) => e.resultId === resultId && e.taskId === task.id);
        if (!execution) throw new QrsRequestError(404, `execution result ${resultId} of task ${task.id} not found`);
        if (execution.scriptLog === undefined)
          throw new QrsRequestError(404, `execution result ${resultId} has no script log`);
        const ticket = newId();
        state.scriptLogTickets.set(ticket, { fileName: `${task.id}.log`, text: execution.scriptLog });
        return { status: 200, body: ticket };
      },
    },
    {
      method: 'GET',
      template: '/download/reloadtask/{downloadticketid}/{localfilename}',
      handler: (_call, p) => {
        const entry = state.scriptLogTickets.get(p['downloadticketid']!);
        if (!entry) throw new QrsRequestError(404, 'download ticket not found or already used');
        state.scriptLogTickets.delete(p['downloadticketid']!);
        return {
          status: 200,
          body: Buffer.from(entry.text, 'utf8'),
          headers: {
            'content-type': 'application/unknown',
            'content-disposition': `attachment; filename="${p['localfilename']}"`,
          },
        };
      },
    },
  ];
}
