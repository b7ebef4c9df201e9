import { createContext, useContext } from 'react';
import type { Lab } from '../lab';

export const LabContext = createContext<Lab | null>(null);

export function useLabController(): Lab {
  const lab = useContext(LabContext);
  if (!lab) throw new Error('useLabController outside <LabContext.Provider>');
  return lab;
}
