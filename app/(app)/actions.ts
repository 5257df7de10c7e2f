'use server';
import { signOut } from '@/lib/next/auth';

/** Public by design: signing out needs no permission and changes nothing but the caller's cookie. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/signin?signedOut=1' });
}
