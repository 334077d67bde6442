/** The room refusals people meet, in their words: a busy room and an ended session are not "conflicts". */
import type { TFunction } from 'i18next';
import { ApiProblem } from '../../api/client.js';
import { problemText } from '../../components/ProblemMessage.js';

export function roomProblemText(t: TFunction, err: unknown): string {
  if (err instanceof ApiProblem) {
    if (err.problem.code === 'RPM_ERR_ROOM_BUSY') return t('rooms.busyError');
    if (err.problem.code === 'RPM_ERR_SESSION_CLOSED') return t('rooms.closedError');
  }
  return problemText(t, err);
}
