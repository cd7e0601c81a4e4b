import { z } from 'zod';
import { EnvVars } from './paths';

/** Replaces the project's variables; processes and terminals started afterwards see them. */
export const SetParams = z.object({ vars: EnvVars });
