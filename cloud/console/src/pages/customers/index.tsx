/**
 * 客户: customer search at /customers and one customer's profile at /customers/:customerId (customers.read; changing
 * cards and adjusting points need customers.manage, as their routes do).
 */
import { Route, Routes } from 'react-router';
import { CustomerProfile } from './profile';
import { CustomerSearch } from './search';

export default function CustomersPage() {
  return (
    <Routes>
      <Route index element={<CustomerSearch />} />
      <Route path=":customerId" element={<CustomerProfile />} />
    </Routes>
  );
}
