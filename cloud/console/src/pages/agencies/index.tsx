/**
 * 旅行社: the agencies list at /agencies and one agency's detail at /agencies/:agencyId (both need agencies.read;
 * the changes inside check agencies.manage or agencies.adjust).
 */
import { Route, Routes } from 'react-router';
import { AgencyDetail } from './detail';
import { AgencyList } from './list';

export default function AgenciesPage() {
  return (
    <Routes>
      <Route index element={<AgencyList />} />
      <Route path=":agencyId" element={<AgencyDetail />} />
    </Routes>
  );
}
