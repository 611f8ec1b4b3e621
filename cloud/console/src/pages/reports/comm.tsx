/**
 * 终端通信报表: the control room's communication log page (pages/control/comm-log) read through the reports' routes,
 * so it needs reports.read only, with the exports of its detail and its daily totals.
 */
import { CommLogView } from '../control/comm-log';

export default function CommReportPage() {
  return <CommLogView source="reports" />;
}
