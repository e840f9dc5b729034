package io.github.alru.spring;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.github.alru.AlruCacheRegistry;
import io.github.alru.AlruCacheable;
import io.github.alru.cluster.ClusterTier;
import org.aopalliance.intercept.MethodInterceptor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.SmartInstantiationAwareBeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Gives each bean with {@link AlruCacheable} methods a cache per method, registers it, and puts an
 * advice per method in front of every other advice on the bean, {@code @Async}'s included.
 *
 * <p>This post-processor deliberately implements no {@code Ordered}: Spring runs such
 * post-processors after all ordered ones, so it sees the bean after Spring's
 * {@code AsyncAnnotationBeanPostProcessor} has put its advisor at the head of the proxy's chain,
 * and puts its own advisor before that one. A cache hit therefore returns a completed future on
 * the caller's thread without submitting a task, and concurrent cold calls submit one.
 *
 * <p>A method the proxy cannot intercept (private, static, final on a class-based proxy, or on a
 * JDK proxy declared by no interface) stops the start, as does an unsupported return type. Calls
 * from the bean's own methods to a cached method on {@code this}, which bypass the proxy, are
 * found in the class's bytecode and logged as one warning per pair of methods.
 *
 * <p>Ahead of time, {@link #determineBeanType} builds the proxy class each cached bean will have, so
 * that Spring AOT writes it out with the generated code (and registers the hints a JDK proxy needs
 * in a native image); at run time, the proxy of the same name is then loaded, not generated.
 */
public class AlruCacheableBeanPostProcessor implements SmartInstantiationAwareBeanPostProcessor, SmartInitializingSingleton,
        BeanFactoryAware {

    /** The advice of the proxies built only for their class, ahead of time: never called. */
    private static final MethodInterceptor PROXY_CLASS_ONLY = invocation -> {
        throw new IllegalStateException("this proxy was built to determine its class, not to be called");
    };

    private static final Log logger = LogFactory.getLog(AlruCacheableBeanPostProcessor.class);

    private final ObjectProvider<AlruCacheOverrides> overrides;
    private final ObjectProvider<AlruCacheRegistry> registry;
    private final Environment environment;
    private @Nullable ObjectProvider<ClusterTier> clusterTier; // set with the bean factory
    private final Set<Class<?>> scannedForSelfCalls = ConcurrentHashMap.newKeySet();
    private @Nullable ConfigurableListableBeanFactory beanFactory;
    private volatile @Nullable MethodCacheFactory factory;

    /**
     * Creates the post-processor; its collaborators are looked up when the first bean needs them.
     *
     * @param overrides settings that override annotations, such as {@code alru.caches.<name>.*}
     * @param registry where created caches are registered: a {@link ConfigurableAlruCacheRegistry}
     * @param environment resolves {@code ${...}} in annotation values and the proxy settings
     */
    public AlruCacheableBeanPostProcessor(ObjectProvider<AlruCacheOverrides> overrides,
            ObjectProvider<AlruCacheRegistry> registry, Environment environment) {
        this.overrides = overrides;
        this.registry = registry;
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
            this.beanFactory = listable;
        }
        this.clusterTier = beanFactory.getBeanProvider(ClusterTier.class);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AopInfrastructureBean) {
            return bean;
        }
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        Map<Method, AlruCacheable> annotated = cacheableMethods(targetClass);
        if (annotated.isEmpty()) {
            return bean;
        }
        boolean reuseProxy = bean instanceof Advised advised && !advised.isFrozen();
        Class<?> @Nullable [] jdkProxyInterfaces = reuseProxy ? proxiedInterfaces((Advised) bean) : plannedInterfaces(targetClass);
        MethodCacheFactory methods = factory();
        ConfigurableAlruCacheRegistry caches = configurableRegistry();
        List<CachedMethodInterceptor> interceptors = new ArrayList<>();
        annotated.forEach((method, annotation) -> {
            Interception.check(method, targetClass, jdkProxyInterfaces);
            ReturnKind kind = ReturnKind.of(method);
            MethodCache cache = methods.create(MethodCacheFactory.nameOf(beanName, method, annotation), method, kind, annotation);
            caches.register(cache);
            interceptors.add(new CachedMethodInterceptor(method, kind, cache.cache(), cache.cluster()));
        });
        warnAboutSelfCalls(ClassUtils.getUserClass(targetClass), annotated);
        List<Advisor> advisors = interceptors.stream().<Advisor>map(interceptor -> new CachedMethodAdvisor(targetClass, interceptor)).toList();
        if (reuseProxy) {
            Advised advised = (Advised) bean;
            for (int i = 0; i < advisors.size(); i++) {
                advised.addAdvisor(i, advisors.get(i)); // ahead of every advisor already there, @Async's included
            }
            return bean;
        }
        ProxyFactory proxyFactory = proxyFactory(jdkProxyInterfaces, advisors);
        proxyFactory.setTarget(bean);
        return proxyFactory.getProxy(targetClass.getClassLoader());
    }

    /**
     * The class of the proxy {@link #postProcessAfterInitialization} will create for a bean of
     * {@code beanClass}, built the same way; Spring AOT calls this to generate proxy classes at build
     * time. A bean class another post-processor already proxies keeps its class: alru adds its
     * advice to that proxy. The checks of the cached methods run here too, so that a method that can
     * never be cached fails the build, and self-calls are reported by the build.
     */
    @Override
    public Class<?> determineBeanType(Class<?> beanClass, String beanName) {
        if (AopInfrastructureBean.class.isAssignableFrom(beanClass) || isProxyClass(beanClass)) {
            return beanClass;
        }
        Map<Method, AlruCacheable> annotated = cacheableMethods(beanClass);
        if (annotated.isEmpty()) {
            return beanClass;
        }
        Class<?> @Nullable [] jdkProxyInterfaces = plannedInterfaces(beanClass);
        annotated.keySet().forEach(method -> {
            Interception.check(method, beanClass, jdkProxyInterfaces);
            ReturnKind.of(method);
        });
        warnAboutSelfCalls(beanClass, annotated);
        List<Advisor> advisors = annotated.keySet().stream()
                .<Advisor>map(method -> new CachedMethodAdvisor(beanClass, method, PROXY_CLASS_ONLY)).toList();
        ProxyFactory proxyFactory = proxyFactory(jdkProxyInterfaces, advisors);
        proxyFactory.setTargetClass(beanClass);
        return proxyFactory.getProxyClass(beanClass.getClassLoader());
    }

    private static boolean isProxyClass(Class<?> type) {
        return Proxy.isProxyClass(type) || type.getName().contains(ClassUtils.CGLIB_CLASS_SEPARATOR);
    }

    private static ProxyFactory proxyFactory(Class<?> @Nullable [] jdkProxyInterfaces, List<Advisor> advisors) {
        ProxyFactory proxyFactory = new ProxyFactory();
        if (jdkProxyInterfaces == null) {
            proxyFactory.setProxyTargetClass(true);
        } else {
            proxyFactory.setInterfaces(jdkProxyInterfaces);
        }
        advisors.forEach(proxyFactory::addAdvisor);
        return proxyFactory;
    }

    /** The methods of {@code type} annotated (or implementing an interface method annotated) with {@code @AlruCacheable}, in a stable order. */
    static Map<Method, AlruCacheable> cacheableMethods(Class<?> type) {
        if (!AnnotationUtils.isCandidateClass(type, AlruCacheable.class)) {
            return Map.of();
        }
        Map<Method, AlruCacheable> found = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<AlruCacheable>) method ->
                        AnnotatedElementUtils.findMergedAnnotation(method, AlruCacheable.class));
        Map<Method, AlruCacheable> sorted = new LinkedHashMap<>();
        found.entrySet().stream().sorted(Comparator.comparing(entry -> entry.getKey().toGenericString()))
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }

    private static Class<?> @Nullable [] proxiedInterfaces(Advised advised) {
        return AopUtils.isJdkDynamicProxy(advised) ? advised.getProxiedInterfaces() : null;
    }

    /** The interfaces of the JDK proxy alru will create, or {@code null} when it will create a class-based one. */
    private Class<?> @Nullable [] plannedInterfaces(Class<?> targetClass) {
        boolean proxyTargetClass = environment.getProperty("spring.aop.proxy-target-class", Boolean.class, Boolean.TRUE);
        Class<?>[] interfaces = ClassUtils.getAllInterfacesForClass(targetClass, targetClass.getClassLoader());
        return proxyTargetClass || interfaces.length == 0 ? null : interfaces;
    }

    private void warnAboutSelfCalls(Class<?> userClass, Map<Method, AlruCacheable> annotated) {
        if (scannedForSelfCalls.add(userClass) && logger.isWarnEnabled()) {
            SelfInvocations.find(userClass, annotated.keySet()).forEach(logger::warn);
        }
    }

    /**
     * Hands every setting override the names of all caches, once all singletons exist: those
     * created, and those that lazy beans will create.
     */
    @Override
    public void afterSingletonsInstantiated() {
        Set<String> names = new TreeSet<>(registry.getObject().names());
        ConfigurableListableBeanFactory beans = beanFactory;
        if (beans != null) {
            for (String beanName : beans.getBeanDefinitionNames()) {
                if (beans.containsSingleton(beanName) || beans.getBeanDefinition(beanName).getRole() == BeanDefinition.ROLE_INFRASTRUCTURE) {
                    continue;
                }
                Class<?> type = beans.getType(beanName, false);
                if (type != null) {
                    cacheableMethods(ClassUtils.getUserClass(type)).forEach((method, annotation) ->
                            names.add(MethodCacheFactory.nameOf(beanName, method, annotation)));
                }
            }
        }
        overrides.getIfAvailable(() -> AlruCacheOverrides.NONE).checkCacheNames(names);
    }

    private ConfigurableAlruCacheRegistry configurableRegistry() {
        AlruCacheRegistry current = registry.getObject();
        if (current instanceof ConfigurableAlruCacheRegistry configurable) {
            return configurable;
        }
        throw new AlruConfigurationException("the AlruCacheRegistry bean (" + current.getClass().getName()
                + ") cannot take the caches of @AlruCacheable methods: implement ConfigurableAlruCacheRegistry"
                + " or extend DefaultAlruCacheRegistry");
    }

    private MethodCacheFactory factory() {
        MethodCacheFactory current = factory;
        if (current == null) {
            current = new MethodCacheFactory(overrides.getIfAvailable(() -> AlruCacheOverrides.NONE), environment,
                    () -> clusterTier == null ? null : clusterTier.getIfAvailable());
            factory = current;
        }
        return current;
    }
}
