/**
 * 交接班: the shifts list at /shifts (shifts.read; without shifts.approve the API answers one's own shifts only) and
 * one shift's detail and report at /shifts/:shiftId, where a supervisor approves and adjusts.
 */
import { Route, Routes } from 'react-router';
import { ShiftDetail } from './detail';
import { ShiftList } from './list';

export default function ShiftsPage() {
  return (
    <Routes>
      <Route index element={<ShiftList />} />
      <Route path=":shiftId" element={<ShiftDetail />} />
    </Routes>
  );
}
