// How a symbol may be spelled, in the domain module so data import (naming a series after its
// file) and the contract check it alike; the contract re-exports it.
import { z } from 'zod';

export const symbolSchema = z
  .string()
  .trim()
  .min(1, 'symbol is required')
  .max(40, 'symbol is at most 40 characters')
  .regex(/^[A-Za-z0-9._/:-]+$/, 'symbol may hold letters, digits and . _ / : - only');
