import { redirect } from 'next/navigation';

// The signed-in landing page is the compliance overview (anonymous callers go on to sign in).
export default function Home() {
  redirect('/compliance');
}
