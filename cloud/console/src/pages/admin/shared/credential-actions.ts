/** Issue, rotate and revoke a gate's MQTT credential (gates.manage); each refreshes the gate's credential query. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { GateCredential, IssuedCredential } from '../../../api/types';

export function useCredentialActions() {
  const client = useQueryClient();
  const refresh = (credential: GateCredential) =>
    client.invalidateQueries({ queryKey: ['gate-credentials', 'one', credential.gateId] });
  return {
    issue: useMutation({
      mutationFn: (gateId: string) => api.post<IssuedCredential>(`/gates/${gateId}/credentials`),
      onSuccess: refresh,
    }),
    rotate: useMutation({
      mutationFn: (gateId: string) => api.post<IssuedCredential>(`/gates/${gateId}/credentials/rotate`),
      onSuccess: refresh,
    }),
    revoke: useMutation({
      mutationFn: (gateId: string) => api.delete<GateCredential>(`/gates/${gateId}/credentials`),
      onSuccess: refresh,
    }),
  };
}
