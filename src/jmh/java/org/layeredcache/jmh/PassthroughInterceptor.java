package org.layeredcache.jmh;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/** An interceptor that does nothing but proceed. */
@Passthrough
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE + 200)
public class PassthroughInterceptor {

    @AroundInvoke
    Object proceed(InvocationContext call) throws Exception {
        return call.proceed();
    }
}
